/** Drop a photo of a handwritten digit, or pick one: it replaces the test digit under attack. */
import { useState, type DragEvent } from 'react';
import { openPicture } from '../../state/imageActions';
import { ACCEPTED_TYPES, decodeImageFile } from './imageFile';

function openFile(file: File | undefined): void {
  if (file) void openPicture(file.name, () => decodeImageFile(file));
}

export function DropZone() {
  const [dragging, setDragging] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    openFile(e.dataTransfer.files[0]);
  };
  return (
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      data-testid="drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p>Drop a photo of a digit written on paper here, or</p>
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
      <p className="hint">PNG, JPEG, WebP, GIF or BMP. Dark ink on plain light paper works best.</p>
    </div>
  );
}
