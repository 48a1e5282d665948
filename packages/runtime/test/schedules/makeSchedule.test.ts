import test from 'ava';
import { defaultSnapshots, makeSchedule, optimalAdvances, replay, SCHEDULE_NAMES, type ScheduleName } from '@adjoint/runtime/schedules/index';

test('every name builds its schedule; n = 0 is just end', (t) => {
  for (const name of SCHEDULE_NAMES) {
    const schedule = makeSchedule(name, name === 'online' ? undefined : 0, { snapshots: 3 });
    t.is(schedule.name, name);
    t.like(replay(schedule, { steps: 0 }), { advances: 0, reverses: 0 });
    if (name !== 'online') t.deepEqual([...schedule.actions()], [{ type: 'end' }], name);
  }
  t.deepEqual([...makeSchedule('online', undefined, { snapshots: 3 }).actions(false)], [{ type: 'end' }], 'told at x_0 that the loop does not run');
});

test('options reach the schedules', (t) => {
  t.is(replay(makeSchedule('revolve', 1000, { snapshots: 31 })).advances, 2439);
  t.is(replay(makeSchedule('revolve', 1000)).advances, optimalAdvances(1000, defaultSnapshots(1000)));
  t.is(makeSchedule('revolve', 1000, { ram: 31 }).limits.ram, 31);
  t.deepEqual(makeSchedule('multistage', 1000, { ram: 10, disk: 21 }).limits, { ram: 10, disk: 21 });
  t.deepEqual(makeSchedule('multistage', 1000, { snapshots: 31 }).limits, { ram: 31, disk: 0 });
  t.deepEqual(makeSchedule('multistage', 1000, { snapshots: 31, ram: 1, disk: 30 }).limits, { ram: 1, disk: 30 });
  // uniform with s snapshots stores one state every ceil(n/s) steps: here 31 checkpoints 33 steps apart.
  const uniform = makeSchedule('uniform', 1000, { snapshots: 31 });
  t.is(replay(uniform).advances, 999 + 30 * 32);
  // Without a count, uniform keeps its own default: a checkpoint every ceil(sqrt(1000)) = 32 steps.
  t.is(replay(makeSchedule('uniform', 1000)).advances, 999 + 31 * 31);
  t.is(makeSchedule('store-all', 10).limits.ram, 9);
  t.is(makeSchedule('store-all', 10, { snapshots: 10 }).limits.ram, 9, 'a count that covers every state is consistent');
  t.throws(() => makeSchedule('store-all', 10, { snapshots: 3 }), { message: /snapshots = 3, but store-all stores every one of the 10 states; .*'revolve'/ });
  t.is(makeSchedule('online', undefined, { snapshots: 5 }).limits.ram, 5);
});

test('bad arguments say what was wrong and what is allowed', (t) => {
  t.throws(() => makeSchedule('binomial' as ScheduleName, 10), { message: /unknown schedule "binomial"; allowed: revolve, uniform, store-all, online, multistage/ });
  t.throws(() => makeSchedule('revolve', -1), { message: /makeSchedule\('revolve'\): steps must be an integer from 0 to 67108864, got -1/ });
  t.throws(() => makeSchedule('revolve', 2.5), { message: /steps must be an integer.*got 2.5/ });
  t.throws(() => makeSchedule('revolve', undefined), { message: /steps must be an integer.*got undefined/ });
  t.throws(() => makeSchedule('revolve', 10, { snapshots: 0 }), { message: /snapshots must be an integer >= 1 \(stored states, counting the initial one\), got 0/ });
  t.throws(() => makeSchedule('multistage', 10, { ram: 0, disk: 0 }), { message: /ram \+ disk must be at least 1 .*got 0 \+ 0/ });
  t.throws(() => makeSchedule('multistage', 10, { ram: -2, disk: 3 }), { message: /ram must be an integer >= 0/ });
  t.throws(() => makeSchedule('multistage', 10, { snapshots: 4, ram: 1, disk: 2 }), { message: /snapshots \(4\) must equal ram \+ disk \(1 \+ 2\)/ });
  t.throws(() => makeSchedule('revolve', 10, { disk: 2 }), { message: /only 'multistage' stores snapshots on disk/ });
  t.throws(() => makeSchedule('revolve', 10, { snapshots: 3, ram: 4 }), { message: /ram \(4\) and snapshots \(3\) disagree/ });
  t.throws(() => makeSchedule('online', 10, { snapshots: 3 }), { message: /steps must be undefined/ });
  t.throws(() => makeSchedule('online', undefined), { message: /snapshots is required/ });
  t.throws(() => makeSchedule('revolve', 10, null as never), { message: /options must be an object/ });
});
