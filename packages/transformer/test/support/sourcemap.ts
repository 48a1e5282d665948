/** Just enough of the source map format to ask where a generated line comes from. */
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export interface RawSourceMap {
  readonly sources: readonly string[];
  readonly mappings: string;
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >> 1) : value >> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** The original (source, 1-based line) of the first mapped segment of each generated line. */
export function originalLines(map: RawSourceMap): ({ source: string; line: number } | undefined)[] {
  let source = 0;
  let line = 0;
  return map.mappings.split(';').map((group) => {
    let first: { source: string; line: number } | undefined;
    for (const segment of group.split(',').filter(Boolean)) {
      const f = decodeVlq(segment);
      if (f.length < 4) continue;
      source += f[1];
      line += f[2];
      first ??= { source: map.sources[source], line: line + 1 };
    }
    return first;
  });
}

/** The source map inlined in generated code as a data URL. */
export function inlineMap(code: string): RawSourceMap {
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!m) throw new Error('no inline source map');
  return JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as RawSourceMap;
}
