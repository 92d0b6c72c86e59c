/** Where the image under attack comes from: the MNIST test set, or the user's own photo. */
import { DropZone } from './DropZone';
import { Gallery } from './Gallery';

export function ImageSource() {
  return (
    <section className="panel" aria-labelledby="source-heading">
      <h2 id="source-heading">1 · Choose a digit</h2>
      <Gallery />
      <DropZone />
    </section>
  );
}
