/** A labelled decimal input within [min, max]. */
import { BoundedNumberField, type BoundedNumberFieldProps } from './BoundedNumberField';

export function DecimalField(props: Omit<BoundedNumberFieldProps, 'integer'>) {
  return <BoundedNumberField {...props} />;
}
