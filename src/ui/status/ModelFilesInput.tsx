/** Replaces the shipped model with one the user trained (model.json and weights file) or an .onnx file. */
import { loadModelFiles } from '../../state/backendActions';
import { isOnnxFile, startOnnxImport } from '../../state/onnxImport';

export function ModelFilesInput() {
  return (
    <label
      className="button-like secondary"
      data-control="model-files"
      title="A TensorFlow.js layers model (model.json and its weights .bin file), or an ONNX file"
    >
      Load model files
      <input
        type="file"
        className="visually-hidden"
        multiple
        accept=".json,.bin,.onnx,application/json,application/octet-stream"
        aria-label="Load model files"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          if (files.length === 1 && isOnnxFile(files[0])) void startOnnxImport(files[0]);
          else void loadModelFiles(files);
          e.target.value = '';
        }}
      />
    </label>
  );
}
