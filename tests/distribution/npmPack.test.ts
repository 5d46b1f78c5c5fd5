import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm pack` ships the bundle only, and the tarball installs with no other package (no
// dependencies: they are inside the bundle) and runs. The bundle is current: tests/support/freshBuild.ts.

const dir = mkdtempSync(join(tmpdir(), 'support-bot-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; dependencies?: object; bin: Record<string, string> };
const npm = (args: string[], cwd: string) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

describe('npm pack', { timeout: 120_000 }, () => {
  it('packs the bundle, declares no dependency, installs offline with --omit=dev and runs', () => {
    const [packed] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], process.cwd())) as { filename: string; files: { path: string }[] }[];
    expect(packed!.files.map((f) => f.path).sort()).toEqual(['CHANGELOG.md', 'README.md', 'bundle/support-bot.mjs', 'package.json']);
    expect(pkg.dependencies ?? {}).toEqual({});

    const app = join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(join(app, 'package.json'), '{"name":"app","private":true}');
    npm(['install', '--omit=dev', '--offline', join(dir, packed!.filename)], app);
    expect(readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'))).toEqual(['support-bot']);

    const bin = join(app, 'node_modules', '.bin', 'support-bot');
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(pkg.version);
    expect(execFileSync(bin, ['config', 'validate'], { encoding: 'utf8' })).toMatch(/^ok: .*\(4 projects, 5 templates\)/);
  });

  it("in a checkout, what `npm ci` runs (prepare) writes the file `bin` names, so the README's `npx support-bot` runs", () => {
    const checkout = join(dir, 'checkout');
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(file, join(checkout, file));
    for (const tree of ['src', 'config', 'issue_templates', 'scripts']) cpSync(tree, join(checkout, tree), { recursive: true });
    symlinkSync(resolve('node_modules'), join(checkout, 'node_modules'));
    npm(['run', 'prepare'], checkout);
    expect(Object.values(pkg.bin).filter((target) => !existsSync(join(checkout, target)))).toEqual([]);
    const npx = npm(['exec', '--offline', '--cache', join(dir, 'npm-cache'), '--', 'support-bot', '--version'], checkout);
    expect(npx.trim()).toBe(pkg.version);
  });
});
