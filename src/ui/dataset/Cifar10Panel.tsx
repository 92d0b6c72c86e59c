/**
 * Shown on CIFAR-10 while the browser has none of its data: what to get and where, and three
 * ways to hand it over (drop, choose files, an address), with progress, Cancel, and a way back.
 */
import { useState, type DragEvent, type FormEvent } from 'react';
import { CIFAR10_ARCHIVE_NAME, CIFAR10_FILES, CIFAR10_META_FILE } from '../../core/data/cifar10Constants';
import { chooseDataset, importCifar10Files, importCifar10Url } from '../../state/datasetActions';
import { useAppStore } from '../../state/appStore';
import { cancelTask } from '../../state/workerSession';
import { ProgressBar } from '../common/ProgressBar';

export const CIFAR10_PAGE = 'https://www.cs.toronto.edu/~kriz/cifar-10.html';
/** The official archive, as listed on CIFAR10_PAGE. */
const ARCHIVE_BYTES = 170_052_171;
const ARCHIVE_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
const ACCEPT =
  '.gz,.tgz,.tar,.bin,.txt,application/gzip,application/x-gzip,application/x-tar,application/octet-stream,text/plain';

function DataDropZone({ busy }: { busy: boolean }) {
  const [dragging, setDragging] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!busy) void importCifar10Files(Array.from(e.dataTransfer.files));
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target; the file input inside is the keyboard path
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      data-testid="cifar10-drop-zone"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <p>
        Drop <code>{CIFAR10_ARCHIVE_NAME}</code> (or its <code>.bin</code> files) here, or
      </p>
      <label className={busy ? 'button-like disabled' : 'button-like'}>
        Choose CIFAR-10 files
        <input
          type="file"
          className="visually-hidden"
          multiple
          disabled={busy}
          accept={ACCEPT}
          aria-label="Choose CIFAR-10 files"
          onChange={(e) => {
            void importCifar10Files(Array.from(e.target.files ?? []));
            e.target.value = ''; // the same file again should be read again
          }}
        />
      </label>
      <p className="hint">Read here, in your browser: nothing is uploaded.</p>
    </div>
  );
}

function UrlForm({ busy }: { busy: boolean }) {
  const [url, setUrl] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (url.trim()) void importCifar10Url(url);
  };
  return (
    <form className="url-form" onSubmit={submit}>
      <label className="field">
        <span>Or an address where you host it</span>
        <input
          type="url"
          aria-label="Address of cifar-10-binary.tar.gz"
          placeholder="https://…/cifar-10-binary.tar.gz"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
      </label>
      <button type="submit" className="secondary" disabled={busy || url.trim() === ''}>
        Fetch
      </button>
      <small className="help">
        The server must let this page read the file (CORS headers, or the same site as the playground).
      </small>
    </form>
  );
}

export function Cifar10Panel() {
  const task = useAppStore((s) => (s.task?.kind === 'dataset' ? s.task : null));
  const busy = useAppStore((s) => s.task !== null);
  const notice = useAppStore((s) => s.notice);
  return (
    <section className="panel cifar10-panel" aria-labelledby="cifar10-heading" data-testid="cifar10-panel">
      <h2 id="cifar10-heading">CIFAR-10: give the data once</h2>
      <p>
        CIFAR-10 (Krizhevsky, 2009) is 60,000 colour photos of 32×32 pixels in ten classes — airplane, automobile, bird,
        cat, deer, dog, frog, horse, ship, truck. The playground does not ship it. Give it once: it is read in your
        browser and kept there (about 184 MB), so next time it opens at once.
      </p>
      <div className="needs">
        <p>
          <strong>The official binary version:</strong> <code>{CIFAR10_ARCHIVE_NAME}</code> from{' '}
          <a href={CIFAR10_PAGE} target="_blank" rel="noreferrer">
            {CIFAR10_PAGE.replace('https://', '')}
          </a>{' '}
          ({ARCHIVE_BYTES.toLocaleString('en')} bytes, MD5 <code>{ARCHIVE_MD5}</code>). No need to unpack it.
        </p>
        <p>
          <strong>Or its files:</strong> <code>{CIFAR10_FILES.train[0]}</code> …{' '}
          <code>{CIFAR10_FILES.train.at(-1)}</code>, <code>{CIFAR10_FILES.test[0]}</code> and{' '}
          <code>{CIFAR10_META_FILE}</code>, chosen together (<code>{CIFAR10_FILES.test[0]}</code> alone is enough for
          the attack lab).
        </p>
        <p className="note">Not the Python or MATLAB versions on the same page: the app says so if you give one.</p>
      </div>
      <DataDropZone busy={busy} />
      <UrlForm busy={busy} />
      {task && (
        <div data-testid="cifar10-progress">
          <ProgressBar
            label={task.label}
            fraction={task.progress?.fraction ?? null}
            message={task.progress?.message ?? task.label}
            onCancel={cancelTask}
          />
        </div>
      )}
      {!task && notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <div className="actions">
        <button type="button" className="secondary" disabled={busy} onClick={() => void chooseDataset('mnist')}>
          Back to MNIST meanwhile
        </button>
      </div>
    </section>
  );
}
