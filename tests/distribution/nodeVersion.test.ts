import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import semver from 'semver';
import { parse } from 'yaml';

// One Node line everywhere (issue 22): .node-version is what .ci/run installs and the Dockerfile
// builds on; package.json's engines and every image a CI job runs in follow its major.

const version = readFileSync('.node-version', 'utf8').trim();
const major = version.split('.')[0]!;

describe('the Node version', () => {
  it('is a full version, and engines asks for its major or later', () => {
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${major}`);
  });

  it('is the one of every node image in .gitlab-ci.yml', () => {
    const images = [...readFileSync('.gitlab-ci.yml', 'utf8').matchAll(/\bnode:([\w.-]+)/g)].map((m) => m[1]!);
    for (const tag of images) expect(tag.startsWith(`${version}`) || tag.startsWith(`${major}`)).toBe(true);
    expect(parse(readFileSync('.gitlab-ci.yml', 'utf8'))).toBeTruthy();
  });

  it('satisfies the engines of every package npm ci installs, so it prints no EBADENGINE warning', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const misfits = Object.entries(lock.packages)
      .map(([path, entry]) => [path, Array.isArray(entry.engines) ? undefined : entry.engines?.node] as const)
      .filter((pair): pair is readonly [string, string] => pair[1] !== undefined && !semver.satisfies(version, pair[1]));
    expect(misfits).toEqual([]);
  });
});
