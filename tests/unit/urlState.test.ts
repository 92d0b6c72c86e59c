/**
 * The link schema (src/state/urlState.ts): every state survives writeLink → readLink unchanged; defaults are left out
 * of the address; whatever a link says that is unknown or invalid is ignored with a note, never thrown.
 */
import { describe, expect, test } from 'vitest';
import { parseNumberText } from '../../src/core/options/field';
import {
  DEFAULT_SETTINGS,
  draftAfter,
  fieldError,
  linkableDraft,
  toAttackOptions,
  type AttackSettingsDraft,
} from '../../src/state/attackSettings';
import { LESSON_IDS } from '../../src/state/teaching/lessons';
import { defaultLinkState, readLink, writeLink, type LinkState } from '../../src/state/urlState';

const roundTrip = (state: LinkState) => {
  const { search, hash } = writeLink(state);
  return readLink(search, hash, LESSON_IDS);
};

describe('round trip', () => {
  test('the default state is an empty address, and reads back as itself', () => {
    const state = defaultLinkState();
    expect(writeLink(state)).toEqual({ search: '', hash: '' });
    expect(roundTrip(state)).toEqual({ state, notes: [] });
  });

  test('every field set away from its default comes back unchanged', () => {
    const state: LinkState = {
      ...defaultLinkState(),
      view: 'analysis',
      backend: 'wasm',
      model: 'mnist-odenet',
      picture: { kind: 'test', index: 1234 },
      attack: {
        method: 'bim',
        norm: 'l2',
        eps: '1.5',
        steps: '12',
        stepSize: '0.05',
        restarts: '3',
        target: '3',
        seed: '42',
      },
      run: true,
      preset: 'adversarial-vs-standard',
      images: 500,
      bins: 20,
      lesson: 'adversarial-examples',
      step: 2,
      presenter: true,
      hide: ['eps', 'norm', 'gallery'],
    };
    const back = roundTrip(state);
    expect(back.notes).toEqual([]);
    expect(back.state).toEqual(state);
  });

  test('CIFAR-10: ε reads and writes as 8/255, and its defaults are left out', () => {
    const state = defaultLinkState('cifar10');
    expect(state.attack.eps).toBe('8/255');
    expect(state.attack.steps).toBe('10');
    expect(writeLink(state).search).toBe('?dataset=cifar10');
    const custom = { ...state, attack: { ...state.attack, eps: '4/255' } };
    expect(writeLink(custom).search).toBe('?dataset=cifar10&eps=4/255');
    expect(roundTrip(custom).state).toEqual(custom);
  });

  test('embed= shows its widget’s view and is written without a hash', () => {
    const state: LinkState = { ...defaultLinkState(), embed: 'training', view: 'training-lab' };
    expect(writeLink(state)).toEqual({ search: '?embed=training', hash: '' });
    expect(roundTrip(state).state).toEqual(state);
  });

  test('a drawing is carried as such; an upload is noted as not shareable', () => {
    const drawing: LinkState = { ...defaultLinkState(), picture: { kind: 'drawing' } };
    expect(roundTrip(drawing).state.picture).toEqual({ kind: 'drawing' });
    const upload = roundTrip({ ...defaultLinkState(), picture: { kind: 'upload' } });
    expect(upload.state.picture).toEqual({ kind: 'test', index: 0 });
    expect(upload.notes).toHaveLength(1);
    expect(upload.notes[0]).toMatch(/uploaded picture/);
  });
});

describe('invalid and unknown parameters', () => {
  test('each is ignored with one note, and the rest of the link still applies', () => {
    const { state, notes } = readLink(
      '?eps=banana&steps=0&method=magic&image=99999&hide=eps,nonsense&colour=red&model=mnist-odenet&seed=7',
      '#nowhere',
      LESSON_IDS,
    );
    expect(state.attack.eps).toBe('0.3');
    expect(state.attack.steps).toBe('40');
    expect(state.attack.method).toBe('pgd');
    expect(state.picture).toEqual({ kind: 'test', index: 0 });
    expect(state.hide).toEqual(['eps']);
    expect(state.model).toBe('mnist-odenet');
    expect(state.attack.seed).toBe('7');
    expect(state.view).toBe('attack-lab');
    expect(notes).toHaveLength(7);
    for (const fragment of ['eps=', 'steps=', 'method=', 'image=', 'nonsense', 'colour', '#nowhere']) {
      expect(
        notes.some((n) => n.includes(fragment)),
        fragment,
      ).toBe(true);
    }
  });

  test('an ε over the norm’s limit falls back to the default, with the schema’s own reason', () => {
    const { state, notes } = readLink('?eps=2', '', LESSON_IDS);
    expect(state.attack.eps).toBe('0.3');
    expect(notes[0]).toMatch(/Epsilon must be between 0 and 1/);
    // Under L2 the same ε is fine, whichever order the parameters come in.
    expect(readLink('?eps=2&norm=l2').state.attack).toMatchObject({ norm: 'l2', eps: '2' });
    expect(readLink('?norm=l2&eps=3').state.attack).toMatchObject({ norm: 'l2', eps: '3' });
    expect(readLink('?norm=l2').state.attack.eps).toBe('2');
  });

  test('a model of the other data set, an unknown lesson and a step without a lesson are noted', () => {
    const { state, notes } = readLink('?model=cifar10-cnn-sample&lesson=nope&step=3', '', LESSON_IDS);
    expect(state.model).toBeNull();
    expect(state.lesson).toBeNull();
    expect(notes).toHaveLength(3);
  });

  test('nothing a link says throws', () => {
    const odd = ['?%', '?eps=%E0%A4%A', '?step=-1&lesson=adversarial-examples', '?hide=,,,', '?bins=1e3', '?run=maybe'];
    for (const search of odd) expect(() => readLink(search, '#%', LESSON_IDS)).not.toThrow();
  });
});

describe('numbers as people write them', () => {
  test('fractions and decimals', () => {
    expect(parseNumberText('8/255')).toBeCloseTo(8 / 255, 15);
    expect(parseNumberText(' 8 / 255 ')).toBeCloseTo(8 / 255, 15);
    expect(parseNumberText('0.3')).toBe(0.3);
    expect(parseNumberText('.5')).toBe(0.5);
    expect(parseNumberText('1/0')).toBeNaN();
    expect(parseNumberText('8/')).toBeNaN();
    expect(parseNumberText('')).toBeNaN();
  });

  test('an ε typed as 8/255 is sent to the attack as 8/255', () => {
    const state = defaultLinkState('cifar10');
    expect(toAttackOptions(state.attack, 'cifar10')?.eps).toBe(8 / 255);
  });

  test('the ε field validates fractions, and untouched defaults follow the data set and the norm', () => {
    expect(fieldError('eps', '8/255', { norm: 'linf' })).toBeNull();
    expect(fieldError('eps', '300/255', { norm: 'linf' })).toMatch(/between 0 and 1/);
    expect(fieldError('eps', '8/', { norm: 'linf' })).toMatch(/fraction such as 8\/255/);
    // MNIST's 0.3 becomes CIFAR-10's 8/255 and back; a value someone typed stays.
    const cifar = draftAfter(DEFAULT_SETTINGS, 'mnist', { dataset: 'cifar10' });
    expect(cifar.eps).toBe('8/255');
    expect(cifar.steps).toBe('10');
    expect(draftAfter(cifar, 'cifar10', { dataset: 'mnist' })).toEqual(DEFAULT_SETTINGS);
    expect(draftAfter({ ...DEFAULT_SETTINGS, eps: '0.1' }, 'mnist', { dataset: 'cifar10' }).eps).toBe('0.1');
    // On CIFAR-10, L∞'s 8/255 becomes L2's 0.5 (RobustBench) and back.
    expect(draftAfter(cifar, 'cifar10', { norm: 'l2' }).eps).toBe('0.5');
    expect(draftAfter({ ...cifar, norm: 'l2', eps: '0.5' }, 'cifar10', { norm: 'linf' }).eps).toBe('8/255');
    // A typed L2 ε of 5 is no L∞ budget (L∞ stops at 1): it falls back to L∞'s default; 0.5 fits and stays.
    const l2 = { ...DEFAULT_SETTINGS, norm: 'l2' as const };
    expect(draftAfter({ ...l2, eps: '5' }, 'mnist', { norm: 'linf' }).eps).toBe('0.3');
    expect(draftAfter({ ...l2, eps: '0.5' }, 'mnist', { norm: 'linf' }).eps).toBe('0.5');
  });
});

describe('a field’s default follows the method, in the form and in the link', () => {
  test('APGD brings its 100 iterations (Croce & Hein 2020) unless steps were typed; PGD takes them back', () => {
    const apgd = draftAfter(DEFAULT_SETTINGS, 'mnist', { method: 'apgd-ce' });
    expect(apgd.steps).toBe('100');
    expect(draftAfter(apgd, 'mnist', { method: 'pgd' }).steps).toBe('40');
    expect(draftAfter({ ...DEFAULT_SETTINGS, steps: '7' }, 'mnist', { method: 'apgd-ce' }).steps).toBe('7');
    // The link leaves a default out, so method=apgd-ce alone reads back with 100 steps, and 40 is written for it.
    const state = { ...defaultLinkState(), attack: apgd };
    expect(writeLink(state).search).toBe('?method=apgd-ce');
    expect(roundTrip(state).state.attack.steps).toBe('100');
    expect(writeLink({ ...state, attack: { ...apgd, steps: '40' } }).search).toBe('?method=apgd-ce&steps=40');
  });
});

describe('links carry only valid values (the last valid one while a field is invalid)', () => {
  const typed = (patch: Partial<AttackSettingsDraft>) => ({ ...DEFAULT_SETTINGS, ...patch });

  test('while ε reads "abc", the link keeps the last valid ε; other fields keep their current valid text', () => {
    const lastValid = typed({ eps: '0.2', steps: '12' });
    const shown = linkableDraft(typed({ eps: 'abc', steps: '15' }), lastValid, 'mnist');
    expect(shown.eps).toBe('0.2');
    expect(shown.steps).toBe('15');
    const search = writeLink({ ...defaultLinkState(), attack: shown }).search;
    expect(search).toBe('?eps=0.2&steps=15');
    expect(readLink(search).notes).toEqual([]);
  });

  test('a last valid value that no longer fits (L2 ε 5 after a switch to L∞) gives way to the default', () => {
    const lastValid = typed({ norm: 'l2', eps: '5' });
    expect(linkableDraft(typed({ eps: '7x' }), lastValid, 'mnist').eps).toBe('0.3');
    // An empty step size is valid ("auto"); an empty ε is not, and steps "1.5" is no whole number.
    const shown = linkableDraft(typed({ stepSize: '', eps: '', steps: '1.5' }), typed({ eps: '0.1' }), 'mnist');
    expect(shown).toMatchObject({ stepSize: '', eps: '0.1', steps: '40' });
  });
});

describe('bn= (split batch norm, Xie & Yuille 2020 §4)', () => {
  test('bn=clean is written and read back; adv, the set a split model is saved on, is left out', () => {
    const clean: LinkState = { ...defaultLinkState(), bn: 'clean' };
    expect(writeLink(clean).search).toBe('?bn=clean');
    expect(roundTrip(clean)).toEqual({ state: clean, notes: [] });
    expect(writeLink({ ...defaultLinkState(), bn: 'adv' }).search).toBe('');
    expect(readLink('?bn=adv', '', LESSON_IDS).state.bn).toBe('adv');
  });

  test('another word is ignored with a note naming the choices', () => {
    const { state, notes } = readLink('?bn=mixed', '', LESSON_IDS);
    expect(state.bn).toBeNull();
    expect(notes).toEqual(['The link’s bn=“mixed” was ignored: the choices are clean, adv.']);
  });
});
