/** Replaces the shipped model with one the user trained: its model.json and weights file. */
import { loadModelFiles } from '../../state/backendActions';

export function ModelFilesInput() {
  return (
    <label
      className="button-like secondary"
      data-control="model-files"
      title="A TensorFlow.js layers model: model.json and its weights .bin file"
    >
      Load model files
      <input
        type="file"
        className="visually-hidden"
        multiple
        accept=".json,.bin,application/json,application/octet-stream"
        aria-label="Load model files"
        onChange={(e) => {
          void loadModelFiles(Array.from(e.target.files ?? []));
          e.target.value = '';
        }}
      />
    </label>
  );
}
