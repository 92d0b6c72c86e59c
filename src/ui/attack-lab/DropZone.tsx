/**
 * Drop a photo (of a handwritten digit on MNIST, of anything on CIFAR-10), or pick one: it replaces the test image
 * under attack. An .onnx file dropped here is a model to import (OnnxImportDialog).
 */
import { useState, type DragEvent } from 'react';
import { useDatasets } from '../../state/datasetStore';
import { openPicture } from '../../state/imageActions';
import { isOnnxFile, startOnnxImport } from '../../state/onnxImport';
import { ACCEPTED_TYPES, decodeImageFile } from './imageFile';

/** A picture replaces the image under attack; an .onnx file is a model to import. */
function openFile(file: File | undefined): void {
  if (file && isOnnxFile(file)) void startOnnxImport(file);
  else if (file) void openPicture(file.name, () => decodeImageFile(file));
}

export function DropZone() {
  const [dragging, setDragging] = useState(false);
  const colour = useDatasets((s) => s.active === 'cifar10');
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    openFile(e.dataTransfer.files[0]);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the file input inside is the keyboard path
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      data-control="upload"
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p>{colour ? 'Drop a colour photo here, or' : 'Drop a photo of a digit written on paper here, or'}</p>
      <label className="button-like">
        Choose an image file
        <input
          type="file"
          className="visually-hidden"
          accept={ACCEPTED_TYPES}
          aria-label="Choose an image file"
          onChange={(e) => {
            openFile(e.target.files?.[0]);
            e.target.value = ''; // choosing the same file again should reload it
          }}
        />
      </label>
      <p className="hint">
        {colour
          ? 'PNG, JPEG, WebP, GIF or BMP. Its short side is scaled to 32 px and the centre square kept: the model ' +
            'sees it as shown under 2.'
          : 'PNG, JPEG, WebP, GIF or BMP. Dark ink on plain light paper works best.'}
      </p>
    </div>
  );
}
