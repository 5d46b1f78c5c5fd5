// Settings that come from the environment only: secrets never live in the config file.

export interface RuntimeEnv {
  gitlabUrl: string | undefined;
  gitlabToken: string | undefined;
  webhookSecret: string | undefined;
  port: number | undefined;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): RuntimeEnv {
  const port = env.PORT === undefined || env.PORT === '' ? undefined : Number(env.PORT);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`env: PORT must be a port number (got "${env.PORT}")`);
  }
  return {
    gitlabUrl: env.GITLAB_URL || undefined,
    gitlabToken: env.GITLAB_TOKEN || undefined,
    webhookSecret: env.GITLAB_WEBHOOK_SECRET || undefined,
    port,
  };
}
