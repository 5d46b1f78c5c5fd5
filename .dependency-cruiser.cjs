// Import boundaries (issue 12, guard rails). `npm run lint:deps` fails on any of these.

// What rules and facts may import (allow-lists: anything else, a new notifier included, is a
// violation): pure helpers, the subject types, GitLab's types, and zod for config slices.
const PURE = ['^src/(approvals|config|dormant|sla|text)/', '^src/templates/(?!sync\\.ts$)', '^src/subjects\\.ts$', '^src/gitlab/(types|usernames)\\.ts$', '^node_modules/zod/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules form layers; a cycle means two ideas are tangled.', from: {}, to: { circular: true } },
    {
      name: 'rules-are-pure',
      severity: 'error',
      comment:
        'A rule returns data. It imports only rules, the pure helpers, subjects, job names, GitLab types and zod: never the gateway or its transport, a notifier, Node (node:http…), the engine, server, commands, sandbox, demo or runtime.',
      from: { path: '^src/rules/' },
      // engine/markers.ts is pure: a rule finds its own notice by the marker the executor writes.
      to: {
        pathNot: [
          ...PURE,
          '^src/rules/',
          '^src/events/',
          '^src/render/',
          '^src/secrets/',
          '^src/jobs/names\\.ts$',
          '^src/facts/',
          '^src/engine/markers\\.ts$',
          '^src/notify/(channels|claim|message|plan)\\.ts$',
        ],
      },
    },
    {
      name: 'rules-see-fact-types-only',
      severity: 'error',
      comment: 'A rule gets its facts from the planner (ctx.facts); it imports their types, never a loader.',
      from: { path: '^src/rules/' },
      to: { path: '^src/facts/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'facts-read-through-deps',
      severity: 'error',
      comment:
        'A fact reads GitLab only through the gateway its loader is given (deps): it imports GitLab types and the pure list/error helpers, never the gateway, its transport, a notifier, Node (node:http…) or the engine.',
      from: { path: '^src/facts/' },
      to: { pathNot: [...PURE, '^src/facts/', '^src/swir/', '^src/gitlab/(collect|errors)\\.ts$'] },
    },
    {
      name: 'sandbox-stays-in-the-sandbox',
      severity: 'error',
      comment: 'Only the sandbox, the demo and their commands use the embedded GitLab: the bot talks to GitLab through src/gitlab/.',
      from: { path: '^src/', pathNot: '^src/(sandbox|demo)/|^src/commands/(sandbox|demo)\\.ts$' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'sandbox-knows-no-bot',
      severity: 'error',
      comment: 'The sandbox is written from GitLab docs, not from the bot: it imports nothing of the bot.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/', pathNot: '^src/sandbox/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // node_modules is not followed, but stays in the graph: the allow-lists above name the packages rules and facts may use.
    exclude: { path: '^(dist|dist-bench)/' },
  },
};
