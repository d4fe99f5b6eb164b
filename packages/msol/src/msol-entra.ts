import {
  type CmdletObject,
  type EntraPort,
  type KeyCredentialWrite,
  type ServicePrincipal,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { assertKeyValues } from '@teams-oauth/core/adapter'
import {
  createPowerShellSession,
  isPowerShellError,
  type Parameters,
  type PowerShellSession,
} from '@teams-oauth/powershell'
import { diffKeyCredentials, isCertificateKey, keyCredentialFromMsol, msolType } from './msol-keys'
import {
  credentialParams,
  defaultExecutable,
  isDefaultExecutable,
  type MsolCredential,
  preflightError,
  setupScript,
  unavailable,
} from './msol-preflight'

export interface MsolEntraOptions {
  /** Windows PowerShell 5.1 by default; a path or 'pwsh' (with allowCore) for tests. */
  executable?: 'powershell.exe' | (string & {})
  /** A session to use instead of starting one; MSOnline is imported and connected in it on first use. */
  session?: PowerShellSession
  /** Module to import instead of MSOnline (a path to a .psd1/.psm1). */
  modulePath?: string
  credential?: MsolCredential
  /** Connect-MsolService -AzureEnvironment, e.g. USGovernment. */
  azureEnvironment?: string
  /** Run in PowerShell 7 even though MSOnline needs Windows PowerShell 5.1 (for stand-in modules in tests). */
  allowCore?: boolean
  /** Per-call timeout of the session this adapter starts. */
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
  onDebug?: (message: string) => void
  /** The platform to assume (default: this process's); for tests. */
  platform?: NodeJS.Platform
}

export interface MsolEntra extends EntraPort {
  /** Runs the preflight (edition, module, sign-in) now; every other method runs it first anyway. */
  ready(): Promise<void>
  close(): Promise<void>
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Entra over MSOnline (Windows PowerShell 5.1): the seed's path, kept for tenants that still allow it. */
export function msolEntra(options: MsolEntraOptions = {}): MsolEntra {
  const executable = options.executable ?? defaultExecutable
  const platform = options.platform ?? process.platform
  const setupParams: Parameters = {
    ModuleName: options.modulePath ?? 'MSOnline',
    AllowCore: options.allowCore === true,
    AzureEnvironment: options.azureEnvironment,
    ...credentialParams(options.credential),
  }
  const setup = { script: setupScript, params: setupParams }
  const ownSession = options.session === undefined
  let session: PowerShellSession | null = options.session ?? null
  let readiness: Promise<void> | null = null
  const appIds = new Map<string, string>()

  async function preflight(): Promise<void> {
    if (ownSession && isDefaultExecutable(executable) && platform !== 'win32') {
      throw unavailable(
        `Windows PowerShell (powershell.exe) exists only on Windows, and this is ${platform}.`,
      )
    }
    try {
      if (ownSession) {
        session = createPowerShellSession({
          executable,
          setup,
          timeoutMs: options.timeoutMs,
          env: options.env,
          onDebug: options.onDebug,
          secretParameters: ['Password', 'MsGraphAccessToken', 'AdGraphAccessToken'],
        })
        await session.start()
      } else await (session as PowerShellSession).run(setup)
    } catch (error) {
      throw preflightError(error, executable)
    }
  }

  function ready(): Promise<void> {
    if (!readiness) {
      readiness = preflight()
      readiness.catch(() => {
        readiness = null
      })
    }
    return readiness
  }

  async function invoke(command: string, params: Parameters): Promise<CmdletObject[]> {
    await ready()
    const output = await (session as PowerShellSession).invoke({ command, params })
    return output.filter((item): item is CmdletObject => typeof item === 'object' && item !== null)
  }

  /**
   * The certificate keys (AsymmetricX509Cert, Verify) of a service principal. MSOnline's other
   * credential types (Symmetric, Password) are never touched by teams-oauth: they are left out here,
   * so they are never sent back, never removed and never stand in the way of adding a certificate.
   */
  async function readKeys(appId: string) {
    const credentials = await invoke('Get-MsolServicePrincipalCredential', {
      AppPrincipalId: appId,
      ReturnKeyValues: true,
    })
    return credentials.map(keyCredentialFromMsol).filter(isCertificateKey)
  }

  async function appIdOf(servicePrincipalId: string): Promise<string> {
    const known = appIds.get(servicePrincipalId)
    if (known) return known
    if (!guidPattern.test(servicePrincipalId)) {
      throw new TeamsOAuthError(
        'INPUT_INVALID',
        `A service principal id must be a GUID, got "${servicePrincipalId}".`,
        {
          field: 'servicePrincipalId',
        },
      )
    }
    const [found] = await invoke('Get-MsolServicePrincipal', { ObjectId: servicePrincipalId })
    if (!found || typeof found.AppPrincipalId !== 'string') {
      throw new TeamsOAuthError(
        'SERVICE_PRINCIPAL_NOT_FOUND',
        `No service principal has the object id ${servicePrincipalId}.`,
        {
          servicePrincipalId,
        },
      )
    }
    appIds.set(servicePrincipalId, found.AppPrincipalId)
    return found.AppPrincipalId
  }

  /**
   * Runs an operation once more when the PowerShell process died under it. Both operations are
   * safe to repeat: reads are reads, and a write recomputes its diff from what is there now.
   */
  async function recovering<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation()
    } catch (error) {
      if (
        !isPowerShellError(error) ||
        (error.code !== 'POWERSHELL_CRASHED' && error.code !== 'POWERSHELL_TIMEOUT')
      ) {
        throw error
      }
      options.onDebug?.(`msol: ${error.code}, retrying once in a fresh process`)
      // A session this adapter started runs its setup in every new process; a given one needs it again.
      if (!ownSession) await (session as PowerShellSession).run(setup)
      return operation()
    }
  }

  async function readServicePrincipal(appId: string): Promise<ServicePrincipal | null> {
    let found: CmdletObject | undefined
    try {
      ;[found] = await invoke('Get-MsolServicePrincipal', { AppPrincipalId: appId })
    } catch (error) {
      if (isNotFound(error)) return null
      throw error
    }
    if (!found) return null
    const id = String(found.ObjectId)
    appIds.set(id, appId)
    return {
      id,
      appId: String(found.AppPrincipalId ?? appId),
      displayName: String(found.DisplayName ?? ''),
      keyCredentials: await readKeys(appId),
    }
  }

  async function writeKeys(servicePrincipalId: string, keys: KeyCredentialWrite[]): Promise<void> {
    const appId = await appIdOf(servicePrincipalId)
    const { add, remove } = diffKeyCredentials(await readKeys(appId), keys)
    // Only the keys to add must be of a type MSOnline can add; checked for all before the first change.
    const types = add.map(msolType)
    // Add before removing: a failure half-way leaves more keys, never fewer.
    for (const [index, key] of add.entries()) {
      await invoke('New-MsolServicePrincipalCredential', {
        AppPrincipalId: appId,
        Type: types[index],
        Usage: key.usage,
        Value: key.key,
        StartDate: key.startDateTime ?? undefined,
        EndDate: key.endDateTime ?? undefined,
      })
    }
    if (remove.length > 0) {
      await invoke('Remove-MsolServicePrincipalCredential', { AppPrincipalId: appId, KeyIds: remove })
    }
  }

  return {
    ready,

    // Get-MsolCompanyInformation (whose ObjectId is the tenant id) is not in the cmdlet reference this
    // adapter is held to, so the MSOnline path cannot tell its tenant: the journal binds to Exchange alone.
    tenantId: async () => null,

    async getServicePrincipal(appId): Promise<ServicePrincipal | null> {
      if (typeof appId !== 'string' || !guidPattern.test(appId)) {
        throw new TeamsOAuthError('INPUT_INVALID', `appId must be a GUID, got "${String(appId)}".`, {
          field: 'appId',
          value: String(appId),
        })
      }
      return recovering(() => readServicePrincipal(appId))
    },

    async setKeyCredentials(servicePrincipalId, keys) {
      assertKeyValues(keys)
      // The engine reads back and confirms (see EntraPort); a crashed session is recovered here.
      await recovering(() => writeKeys(servicePrincipalId, keys))
    },

    async close() {
      if (ownSession && session) await session.close()
    },
  }
}

/** MSOnline's answer for an appId without a service principal. */
function isNotFound(error: unknown): boolean {
  if (!isPowerShellError(error) || error.code !== 'POWERSHELL_COMMAND_FAILED') return false
  const data = error.data as {
    category?: string
    reason?: string
    fullyQualifiedErrorId?: string
    message?: string
  }
  // a cmdlet the session lacks is no absent service principal
  if (/CommandNotFound/.test(`${data.reason ?? ''} ${data.fullyQualifiedErrorId ?? ''}`)) return false
  return (
    data.category === 'ObjectNotFound' ||
    /NotFound|does not exist|not found|Invalid value for parameter/i.test(
      `${data.reason ?? ''} ${data.fullyQualifiedErrorId ?? ''} ${data.message ?? ''}`,
    )
  )
}
