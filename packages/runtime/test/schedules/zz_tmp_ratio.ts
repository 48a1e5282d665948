import { online, replay, beta, optimalAdvances } from '@adjoint/runtime/schedules/index';
import { advanceTable } from './reference';
const t = advanceTable(301, 20);
let bad = 0;
for (let s = 1; s <= 20; s++) for (let n = 0; n <= beta(2, s); n++) {
  const c = replay(online(s), { steps: n });
  if (c.advances !== t[n + 1][s] || c.peakRam > s) bad++;
}
let worst = 0, where = '';
for (let s = 2; s <= 31; s++) {
  const cap = beta(2, s);
  const max = Math.min(20 * cap, 20000);
  const stride = Math.max(1, Math.floor(cap / 40));
  for (let n = cap + 1; n <= 3 * cap; n += 1) {
    const c = replay(online(s), { steps: n });
    const r = c.advances / optimalAdvances(n + 1, s);
    if (r > worst) { worst = r; where = `s=${s} n=${n} cap=${cap}`; }
  }
}
console.log('bad', bad, 'worst', worst.toFixed(4), where);
//for (const [n, s] of [[1000, 31], [4000, 20]]) console.log(n, s, replay(online(s), { steps: n }).advances, optimalAdvances(n + 1, s), optimalAdvances(n, s));
