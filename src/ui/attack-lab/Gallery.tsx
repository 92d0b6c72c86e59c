/** A page of real test images (MNIST digits, or CIFAR-10 in colour), filterable by class. */
import { selectClassNames, useDatasets } from '../../state/datasetStore';
import { GALLERY_PAGE_SIZE, pickGalleryImage, showGalleryPage } from '../../state/imageActions';
import { useAppStore } from '../../state/appStore';
import { selectShownPicture, useAttackLab } from '../../state/attackLabStore';
import { ProgressBar } from '../common/ProgressBar';
import { GalleryThumb } from './GalleryThumb';

function ClassFilter() {
  const classFilter = useAttackLab((s) => s.gallery.classFilter);
  const names = useDatasets(selectClassNames);
  return (
    <label className="inline-field">
      Class
      <select
        aria-label="Filter gallery by class"
        value={classFilter ?? ''}
        onChange={(e) => void showGalleryPage(e.target.value === '' ? null : Number(e.target.value), 0)}
      >
        <option value="">All</option>
        {names.map((name, k) => (
          <option key={name} value={k}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

function Pager() {
  const { classFilter, offset, items, hasMore } = useAttackLab((s) => s.gallery);
  const go = (to: number) => void showGalleryPage(classFilter, Math.max(0, to));
  return (
    <div className="pager">
      <button
        type="button"
        className="secondary"
        aria-label="Previous gallery page"
        disabled={offset === 0}
        onClick={() => go(offset - GALLERY_PAGE_SIZE)}
      >
        ‹
      </button>
      <span>{items.length > 0 ? `${offset + 1}–${offset + items.length}` : '–'}</span>
      <button
        type="button"
        className="secondary"
        aria-label="Next gallery page"
        disabled={!hasMore}
        onClick={() => go(offset + GALLERY_PAGE_SIZE)}
      >
        ›
      </button>
    </div>
  );
}

export function Gallery() {
  const items = useAttackLab((s) => s.gallery.items);
  const loading = useAppStore((s) => s.testSetProgress);
  const selected = useAttackLab((s) => {
    const shown = selectShownPicture(s); // the picture chosen last, even while it is being classified
    return shown?.source.kind === 'test' ? shown.source.index : null;
  });
  const colour = useDatasets((s) => s.active === 'cifar10');
  const names = useDatasets(selectClassNames);
  return (
    <div className="gallery-block" data-control="gallery">
      <div className="toolbar">
        <ClassFilter />
        <Pager />
      </div>
      {loading && <ProgressBar label="Loading MNIST test set" fraction={loading.fraction} message={loading.message} />}
      <div className={colour ? 'gallery gallery-named' : 'gallery'} data-testid="gallery">
        {items.map((item) => (
          <GalleryThumb
            key={item.index}
            item={item}
            classLabel={colour ? names[item.label] : undefined}
            selected={item.index === selected}
            onPick={(it) => void pickGalleryImage(it)}
          />
        ))}
      </div>
    </div>
  );
}
