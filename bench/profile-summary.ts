// Summarises a V8 .cpuprofile: self time by function and by package/folder, to see what bounds
// the hub's throughput.   usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
const byArea = new Map<string, number>();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*node_modules\//, 'npm:').replace(/^file:\/\/.*\/main\//, '');
  byFunction.set(
    `${functionName || '(anon)'} ${where}:${lineNumber}`,
    (byFunction.get(`${functionName || '(anon)'} ${where}:${lineNumber}`) ?? 0) + us,
  );
  const area =
    url === ''
      ? functionName
      : where.startsWith('npm:')
        ? where
            .split('/')
            .slice(0, where.startsWith('npm:@') ? 2 : 1)
            .join('/')
        : where.startsWith('node:')
          ? 'node:' + where.slice(5).split('/')[0]
          : (where.split('/')[0] ?? where);
  byArea.set(area, (byArea.get(area) ?? 0) + us);
}
const top = Number(topArg ?? 25);
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title} (total ${(total / 1e6).toFixed(1)} s sampled)\n`);
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .forEach(([k, v]) => process.stdout.write(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}\n`));
};
print('self time by area', byArea);
print('self time by function', byFunction);
