/**
 * The files the package ships (config/, issue_templates/), keyed by their path relative to the
 * package root, with the package's version. Undefined when running from dist/ (they are read from
 * disk); the single-file bundle replaces this module with their contents (scripts/bundle.mjs).
 */
export const embedded: { version: string; files: Readonly<Record<string, string>> } | undefined = undefined;
