/** Names of variables that hold a secret: the Graph token, client secrets, passwords, keys. */
const secretVariable =
  /TOKEN|SECRET|PASSW|CREDENTIAL|API_?KEY|PRIVATE_?KEY|CERTIFICATE_PATH|CONNECTION_?STRING/i

/** The environment a PowerShell child gets: this one without any variable that holds a secret. */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !secretVariable.test(name)))
}
