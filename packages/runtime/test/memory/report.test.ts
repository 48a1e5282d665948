import test from 'ava';
import { formatTick, linearTicks, loadResvg, logTicks, markdownTable, svgPlot, svgToPng } from '@adjoint/runtime/memory/report';

interface Element {
  name: string;
  attrs: Record<string, string>;
  children: Element[];
  text: string;
}

/** A strict little XML parser: balanced tags, quoted attributes, only the five XML entities in text. */
function parseXml(xml: string): Element {
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  const root: Element = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  let at = 0;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    at = token.lastIndex;
    const [, closing, name, attrText, selfClosing, text] = m;
    const top = stack[stack.length - 1];
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bad entity in text: ${text}`);
      top.text += text;
    } else if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
        if (/&(?!(amp|lt|gt|quot|apos);)/.test(a[2])) throw new Error(`bad entity in attribute: ${a[2]}`);
        attrs[a[1]] = a[2];
      }
      const el: Element = { name, attrs, children: [], text: '' };
      top.children.push(el);
      if (!selfClosing) stack.push(el);
    }
  }
  if (at !== xml.length) throw new Error(`unparsable at ${at}: ${xml.slice(at, at + 40)}`);
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1 || root.text.trim() !== '') throw new Error('not exactly one root element');
  return root.children[0];
}

function all(el: Element, name: string): Element[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

const series = [
  { name: 'revolve <s=4> & "friends"', points: [[1, 1000], [2, 400], [4, 160], [8, 64]] as [number, number][] },
  { name: 'online', points: [[1, 900], [3, 300], [9, 100]] as [number, number][], mode: 'both' as const },
  { name: 'store all', points: [[1, 5000]] as [number, number][], mode: 'scatter' as const },
];

test('the SVG is well-formed, with one polyline per line series, markers, escaped labels and a legend', (t) => {
  const svg = parseXml(svgPlot(series, { title: 'Memory vs recomputation', xLabel: 'recomputations', yLabel: 'peak MB', width: 700, height: 420 }));
  t.is(svg.name, 'svg');
  t.is(svg.attrs.xmlns, 'http://www.w3.org/2000/svg');
  t.is(svg.attrs.viewBox, '0 0 700 420');
  const texts = all(svg, 'text').map((e) => unescape(e.text));
  for (const label of ['Memory vs recomputation', 'recomputations', 'peak MB', 'revolve <s=4> & "friends"', 'online', 'store all']) {
    t.true(texts.includes(label), label);
  }
  const polylines = all(svg, 'polyline');
  t.is(polylines.length, 2);
  t.is(polylines[0].attrs.points.split(' ').length, 4);
  // 3 + 1 markers on the plot, 2 in the legend.
  t.is(all(svg, 'circle').length, 3 + 1 + 2);
  // Linear axes: y ticks 0..5000 step 1000, x ticks 0..10 step 2.
  t.true(['0', '1000', '2000', '3000', '4000', '5000'].every((v) => texts.includes(v)));
  t.true(['0', '2', '4', '6', '8', '10'].every((v) => texts.includes(v)));
});

test('points land where the axes say: a straight line in log-log space is straight in pixels', (t) => {
  const svg = parseXml(svgPlot([series[0]], { logX: true, logY: true }));
  const pts = all(svg, 'polyline')[0].attrs.points.split(' ').map((p) => p.split(',').map(Number));
  // y = 1000 · x^(-log2 2.5): equal steps in log x give equal steps in log y.
  const dx = pts.slice(1).map((p, i) => p[0] - pts[i][0]);
  const dy = pts.slice(1).map((p, i) => p[1] - pts[i][1]);
  for (let i = 1; i < 3; i++) {
    t.true(Math.abs(dx[i] - dx[0]) < 0.02);
    t.true(Math.abs(dy[i] - dy[0]) < 0.02);
  }
  t.true(dy[0] > 0); // y decreases, so pixels go down the page
  const texts = all(svg, 'text').map((e) => e.text);
  t.true(['1', '10', '100', '1000'].every((v) => texts.includes(v)));
});

test('ticks are round numbers that enclose the data', (t) => {
  t.deepEqual(linearTicks(0, 97), [0, 20, 40, 60, 80, 100]);
  t.deepEqual(linearTicks(0.1, 0.35), [0.1, 0.15, 0.2, 0.25, 0.3, 0.35]);
  t.deepEqual(linearTicks(-5, 1234), [-250, 0, 250, 500, 750, 1000, 1250]);
  t.deepEqual(linearTicks(3, 3), [1.5, 2, 2.5, 3, 3.5, 4, 4.5]);
  t.deepEqual(logTicks(3, 4000), [1, 10, 100, 1000, 10000]);
  t.deepEqual(logTicks(2, 7), [1, 2, 5, 10]);
  t.deepEqual(logTicks(1e-3, 1e15), [1e-3, 1e-1, 10, 1e3, 1e5, 1e7, 1e9, 1e11, 1e13, 1e15]);
  t.deepEqual([0, 0.5, 1000, 250000, 0.0001, -3e-7].map(formatTick), ['0', '0.5', '1000', '2.5e5', '1e-4', '-3e-7']);
});

test('bad plot input is refused, naming the series and point', (t) => {
  t.throws(() => svgPlot([{ name: 'tape', points: [[1, 2], [2, 0]] }], { logY: true }), {
    message: "svgPlot: series 'tape' point 1 has y = 0, which a log-scale y axis cannot show",
  });
  t.throws(() => svgPlot([{ name: 'tape', points: [[NaN, 2]] }]), { message: "svgPlot: series 'tape' point 0 has x = NaN, which is not a finite number" });
  t.throws(() => svgPlot([{ name: 'empty', points: [] }]), { message: 'svgPlot: no points to plot' });
  t.throws(() => svgPlot(series, { width: 50 }), { message: 'svgPlot: width must be a number of pixels >= 100, got 50' });
});

test('Markdown table: padded, escaped, numbers right-aligned', (t) => {
  const md = markdownTable(['schedule', 'snapshots', 'peak MB'], [['revolve', 10, 12.5], ['online | x', 3, 1.25]]);
  t.is(
    md,
    [
      '| schedule    | snapshots | peak MB |',
      '| ----------- | --------: | ------: |',
      '| revolve     |        10 |    12.5 |',
      '| online \\| x |         3 |    1.25 |',
      '',
    ].join('\n'),
  );
  t.is(markdownTable(['a', 'b'], [['x', 1]], ['center', 'left']).split('\n')[1], '| :-: | --- |');
  t.throws(() => markdownTable(['a', 'b'], [['x', 1], ['y']]), { message: 'markdownTable: row 1 has 1 cells, expected 2 (one per header)' });
});

test('svgToPng gives a PNG of the requested width', async (t) => {
  const png = await svgToPng(svgPlot(series, { title: 'PNG' }), { width: 320 });
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  t.is(png.subarray(12, 16).toString('ascii'), 'IHDR');
  t.is(png.readUInt32BE(16), 320);
  t.is(png.readUInt32BE(20), 200); // 640 × 400 scaled to 320 wide
});

test('a missing rasteriser gets an error that says what to install', async (t) => {
  await t.throwsAsync(loadResvg('@resvg/not-installed-adjoint'), { message: /svgToPng needs the optional package '@resvg\/not-installed-adjoint'.*npm i -E @resvg\/resvg-js@2\.6\.2/ });
  await t.throwsAsync(svgToPng('<svg/>', { width: 0 }), { message: 'svgToPng: width must be a positive whole number of pixels, got 0' });
});
