/**
 * Where the image under attack comes from: the test set (MNIST or CIFAR-10), the user's own photo, a drawing (MNIST) or
 * a camera snapshot.
 */
import { useDatasets } from '../../state/datasetStore';
import { Cifar10Storage } from '../dataset/Cifar10Storage';
import { CameraSnapshot } from './CameraSnapshot';
import { DrawingPad } from './DrawingPad';
import { DropZone } from './DropZone';
import { Gallery } from './Gallery';

export function ImageSource() {
  const colour = useDatasets((s) => s.active === 'cifar10');
  return (
    <section className="panel" aria-labelledby="source-heading">
      <h2 id="source-heading">
        <span className="step-number">1 · </span>
        {colour ? 'Choose an image' : 'Choose a digit'}
      </h2>
      <Gallery />
      <DropZone />
      <DrawingPad />
      <CameraSnapshot />
      {colour && <Cifar10Storage />}
    </section>
  );
}
