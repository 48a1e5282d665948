import test from 'ava';
import { mb, signedMb } from '@adjoint/runtime/memory/format';
import { MB } from './helpers';

test('one decimal from 0.05 MB up, as the guide prints', (t) => {
  t.is(mb(0), '0.0');
  t.is(mb(1645.14 * MB), '1645.1');
  t.is(mb(0.05 * MB), '0.1');
  t.is(mb(-4 * MB), '-4.0');
});

test('a small non-zero figure keeps two significant digits instead of reading as 0.0', (t) => {
  t.is(mb(8 * 1024), '0.0078');
  t.is(mb(8208), '0.0078');
  t.is(mb(40 * 1024), '0.039');
  t.is(mb(1), '0.00000095');
  t.is(mb(-4096), '-0.0039');
});

test('signed changes: "+" for growth and for no change, "-" for any shrinking, never "-0.0"', (t) => {
  t.is(signedMb(0), '+0.0');
  t.is(signedMb(12.34 * MB), '+12.3');
  t.is(signedMb(-6.5 * MB), '-6.5');
  t.is(signedMb(4096), '+0.0039');
  t.is(signedMb(-4096), '-0.0039');
});
