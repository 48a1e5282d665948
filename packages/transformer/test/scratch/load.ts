const t0 = Date.now();
require('@adjoint/runtime');
console.log('root', Date.now() - t0);
