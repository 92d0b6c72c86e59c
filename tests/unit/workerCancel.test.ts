/**
 * The worker's cancel reaches the tasks started before it and no others: a task started after a cancel runs, starting
 * one never un-cancels another still winding down (the old single flag did, so a new picture's cancel of the old
 * sweep could be undone by the next attack), and an area's cancel (the attack lab's) leaves other work running.
 */
import { expect, test } from 'vitest';
import { WorkerState } from '../../src/worker/workerState';

test('a cancel stops the tasks started before it, and only those', () => {
  const state = new WorkerState();
  const sweep = state.startTask(undefined, 'attack');
  state.cancel();
  const next = state.startTask(undefined, 'attack');
  expect(sweep.isCancelled()).toBe(true);
  expect(next.isCancelled()).toBe(false);
  // Starting yet another task leaves the cancelled one cancelled.
  state.startTask();
  expect(sweep.isCancelled()).toBe(true);
});

test("the attack lab's cancel leaves other areas' tasks running", () => {
  const state = new WorkerState();
  const training = state.startTask();
  const attack = state.startTask(undefined, 'attack');
  state.cancel('attack');
  expect(attack.isCancelled()).toBe(true);
  expect(training.isCancelled()).toBe(false);
  state.cancel();
  expect(training.isCancelled()).toBe(true);
});
