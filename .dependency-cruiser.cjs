// Import boundaries (issue 12, guard rails). `npm run lint:deps` fails on any of these.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'Modules form layers; a cycle means two ideas are tangled.', from: {}, to: { circular: true } },
    {
      name: 'rules-are-pure',
      severity: 'error',
      comment: 'Rules return data; they never reach the engine, the server, the commands or the sandbox.',
      from: { path: '^src/rules/' },
      to: { path: '^src/(engine|server|commands|sandbox|demo|jobs/index|runtime)' },
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
    exclude: { path: '^(dist|dist-bench|node_modules)/' },
  },
};
