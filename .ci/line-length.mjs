// Fails when a line of the sources, tests or configuration is longer than 120 characters. The formatter (Biome)
// wraps code at 120; comments and long strings it cannot wrap are checked here, so `npm run lint` holds the
// whole limit. Characters are counted as code points (ε is one), as an editor's ruler counts them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 120;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'tests', '.ci'])
  .toString()
  .split('\n')
  .concat(['vite.config.ts'])
  .filter((f) => /\.(ts|tsx|mjs|js|css)$/.test(f));
const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the working tree
  }
  text.split('\n').forEach((line, i) => {
    const length = [...line].length;
    if (length > LIMIT) long.push(`${file}:${i + 1}: ${length} characters`);
  });
}
if (long.length > 0) {
  console.error(`${long.length} line(s) longer than ${LIMIT} characters:\n${long.join('\n')}`);
  process.exit(1);
}
