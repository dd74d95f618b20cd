// Where links in mail point, as the deployment knows it: the API's public base URL (its custom domain, or
// the URL API Gateway gave it) and the web console's. CDK sets both on the functions that mail; the sandbox
// sets them from its own ports. Nothing is configured by hand after a deploy.
export const PUBLIC_URL_ENV = 'PUBLIC_URL';
export const CONSOLE_URL_ENV = 'CONSOLE_URL';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value.replace(/\/+$/, '');
};

export const publicLinks = (): { publicUrl: string; consoleUrl: string } => ({
  publicUrl: required(PUBLIC_URL_ENV),
  consoleUrl: required(CONSOLE_URL_ENV),
});
