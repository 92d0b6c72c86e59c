/** A labelled whole-number input within [min, max]. */
import { BoundedNumberField, type BoundedNumberFieldProps } from './BoundedNumberField';

export function IntegerField(props: Omit<BoundedNumberFieldProps, 'integer' | 'step'>) {
  return <BoundedNumberField {...props} integer />;
}
