import * as fs from 'fs';
import * as path from 'path';

/** test/fixtures/history/NAME, found from the compiled file (out/test/unit/history) or the source. */
export function historyFixture(name: string): string {
  for (const up of ['../../../../test/fixtures/history', '../../fixtures/history']) {
    const candidate = path.resolve(__dirname, up, name);
    if (fs.existsSync(candidate)) return fs.readFileSync(candidate, 'utf8');
  }
  return fs.readFileSync(path.resolve(process.cwd(), 'test/fixtures/history', name), 'utf8');
}
