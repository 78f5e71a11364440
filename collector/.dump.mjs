import { parser as tq } from '@grafana/lezer-traceql';
import { parser as lq } from '@grafana/lezer-logql';
const which = process.argv[2]; const p = which === 't' ? tq : lq;
for (const q of process.argv.slice(3)) {
  const tree = p.parse(q);
  let out = ''; let depth = 0;
  tree.iterate({ enter(n) { out += '\n' + '  '.repeat(depth) + n.name + (n.node.firstChild ? '' : ` "${q.slice(n.from, n.to)}"`) + ` [${n.from}-${n.to}]`; depth++; }, leave() { depth--; } });
  console.log(q, out);
}
