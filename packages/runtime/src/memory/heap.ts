import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { mb } from './format';
import { MemorySink } from './io';

/**
 * Writes a V8 heap snapshot (open it in Chrome DevTools' Memory tab), the Node
 * analogue of a framework's allocator snapshot. Without `file`, Node picks a name
 * in the working directory. Blocks the thread for a time that grows with the
 * heap, and needs about twice the heap's size while it runs. Returns the path.
 */
export function writeHeapSnapshot(file?: string, sink: MemorySink = (line) => console.log(line)): string {
  if (file !== undefined) {
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
      throw new Error(`writeHeapSnapshot: directory '${dir}' for '${file}' does not exist`);
    }
  }
  const written = v8.writeHeapSnapshot(file);
  sink(`[Memory] heap snapshot: ${written} (${mb(fs.statSync(written).size)} MB)`);
  return written;
}
