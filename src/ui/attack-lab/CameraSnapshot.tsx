/**
 * Snap a digit written on paper (or, on CIFAR-10, any object) with the device's camera: a live preview, "Snap", and
 * the frame goes down the upload path like a chosen file. The camera is on only while the preview is open.
 */
import { useEffect, useRef, useState } from 'react';
import { useDatasets } from '../../state/datasetStore';
import { openPicture } from '../../state/imageActions';
import { cameraErrorMessage, NO_CAMERA_API } from './cameraMessages';
import { decodeVideoFrame } from './imageFile';

function stopStream(stream: MediaStream | null): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

export function CameraSnapshot() {
  const colour = useDatasets((s) => s.active === 'cifar10');
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [starting, setStarting] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    video.srcObject = stream;
    if (stream) void video.play().catch(() => undefined); // autoplay of a muted preview; a refusal leaves it still
  }, [stream]);
  // Leaving the page section (or the app) turns the camera off.
  useEffect(() => () => stopStream(streamRef.current), []);

  const open = async () => {
    setMessage(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setMessage(NO_CAMERA_API);
      return;
    }
    setStarting(true);
    try {
      // The back camera where there is one (a phone held over paper); any camera otherwise.
      const opened = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      streamRef.current = opened;
      setStream(opened);
    } catch (err) {
      setMessage(cameraErrorMessage(err));
    } finally {
      setStarting(false);
    }
  };

  const close = () => {
    stopStream(streamRef.current);
    streamRef.current = null;
    setStream(null);
  };

  const snap = () => {
    const video = videoRef.current;
    if (video) void openPicture('camera snapshot', async () => decodeVideoFrame(video));
  };

  return (
    <div className="source-option camera" data-control="camera">
      {!stream && (
        <button type="button" onClick={() => void open()} disabled={starting}>
          {starting ? 'Starting the camera…' : 'Use the camera'}
        </button>
      )}
      <div className="camera-preview" hidden={!stream}>
        <video ref={videoRef} muted playsInline aria-label="Camera preview" data-testid="camera-preview" />
        <div className="drawing-buttons">
          <button type="button" className="primary" onClick={snap}>
            Snap
          </button>
          <button type="button" onClick={close}>
            Close the camera
          </button>
        </div>
        <p className="hint">
          {colour
            ? 'Fill the frame with one object: the centre square is kept.'
            : 'Hold a digit written in dark ink on plain paper in front of the camera, large and sharp.'}
        </p>
      </div>
      {message && (
        <p className="camera-message" role="alert" data-testid="camera-message">
          {message}
        </p>
      )}
    </div>
  );
}
