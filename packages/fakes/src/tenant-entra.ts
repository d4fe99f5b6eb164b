import {
  type EntraPort,
  type KeyCredentialWrite,
  type ServicePrincipal,
  TeamsOAuthError,
} from '@teams-oauth/core'
import { assertKeyValues } from '@teams-oauth/core/adapter'
import type { ChangeRecord } from './changes'
import {
  FakeGraphError,
  findServicePrincipal,
  graphKeyError,
  isKeyFormProblem,
  type KeyProblem,
  type KeyValidationOptions,
  servicePrincipalView,
  validateKeyCredentials,
} from './entra-model'
import { cloneState, type FakeState, type StoredKeyCredential } from './state'
import type { FakeTenant } from './tenant'

/** One write through the tenant: a failWrite fault throws before anything changes; the change log records it after. */
export type TenantWrite = (
  system: ChangeRecord['system'],
  operation: string,
  target: string,
  detail: Record<string, unknown>,
  mutate: () => void,
  faultError: () => Error,
) => void

/**
 * The two doors to the Entra model: the in-process EntraPort (TeamsOAuthError) and the Graph-level
 * operations the Graph door serves (FakeGraphError). Both replace a key collection the same way.
 */
export function entraDoors(
  model: FakeState,
  write: TenantWrite,
): { entra: EntraPort; graph: FakeTenant['graph'] } {
  function replaceKeys(
    operation: string,
    id: string,
    input: unknown[],
    fail: (problem: KeyProblem) => Error,
    notFound: () => Error,
    faultError: () => Error,
    options: KeyValidationOptions = {},
  ) {
    const sp = findServicePrincipal(model.entra, { id })
    if (!sp) throw notFound()
    const keys: StoredKeyCredential[] = validateKeyCredentials(sp, input, fail, {
      ...options,
      strictKeyCredentials: model.entra.strictKeyCredentials === true,
    })
    const detail = {
      appId: sp.appId,
      before: sp.keyCredentials.map((k) => ({ keyId: k.keyId, customKeyIdentifier: k.customKeyIdentifier })),
      after: keys.map((k) => ({ keyId: k.keyId, customKeyIdentifier: k.customKeyIdentifier })),
    }
    write(
      'entra',
      operation,
      sp.id,
      detail,
      () => {
        sp.keyCredentials = keys
      },
      faultError,
    )
  }

  const entra: EntraPort = {
    tenantId: async () => model.entra.tenantId,
    async getServicePrincipal(appId: string): Promise<ServicePrincipal | null> {
      const sp = findServicePrincipal(model.entra, { appId })
      if (!sp) return null
      const { id, appId: app, displayName, keyCredentials } = servicePrincipalView(sp, true)
      return cloneState({ id, appId: app, displayName, keyCredentials })
    },
    async setKeyCredentials(servicePrincipalId: string, keys: KeyCredentialWrite[]): Promise<void> {
      // The port's guard, as every EntraPort has it: a key without its value is never sent.
      assertKeyValues(keys)
      replaceKeys(
        'setKeyCredentials',
        servicePrincipalId,
        keys,
        (problem) =>
          new TeamsOAuthError(
            isKeyFormProblem(problem) ? 'KEY_FORM_REFUSED' : 'GRAPH_REQUEST_FAILED',
            graphKeyError(problem).message,
            {
              status: 400,
              graphCode: 'Request_BadRequest',
              graphMessage: graphKeyError(problem).message,
              servicePrincipalId,
              index: problem.index,
            },
          ),
        () =>
          new TeamsOAuthError(
            'SERVICE_PRINCIPAL_NOT_FOUND',
            `no service principal with id ${servicePrincipalId}`,
            {
              servicePrincipalId,
            },
          ),
        () =>
          new TeamsOAuthError('FAULT_INJECTED', 'The fake tenant failed this write on purpose (failWrite).', {
            servicePrincipalId,
          }),
      )
    },
  }

  const graph: FakeTenant['graph'] = {
    organization: () => ({ id: model.entra.tenantId, displayName: model.exchange.organization.name }),
    getServicePrincipal(by) {
      const sp = findServicePrincipal(model.entra, by)
      return sp ? cloneState(servicePrincipalView(sp, true)) : null
    },
    listServicePrincipals(filter = {}) {
      return model.entra.servicePrincipals
        .filter((sp) => filter.appId === undefined || sp.appId.toLowerCase() === filter.appId.toLowerCase())
        .filter((sp) => filter.displayName === undefined || sp.displayName === filter.displayName)
        .map((sp) => cloneState(servicePrincipalView(sp, false)))
    },
    patchKeyCredentials(id, body) {
      const keys = (body as { keyCredentials?: unknown } | null)?.keyCredentials
      if (typeof body !== 'object' || body === null || !Array.isArray(keys)) {
        throw new FakeGraphError(
          400,
          'Request_BadRequest',
          'Invalid request body: keyCredentials must be an array.',
        )
      }
      replaceKeys(
        'patchKeyCredentials',
        id,
        keys,
        graphKeyError,
        () =>
          new FakeGraphError(
            404,
            'Request_ResourceNotFound',
            `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
          ),
        () =>
          new FakeGraphError(
            500,
            'InternalServerError',
            'The fake tenant failed this write on purpose (failWrite).',
          ),
        // Graph accepts an existing key re-sent with `key: null` and loses it (domain/procedures.md).
        { dropNullKeysOfExisting: true },
      )
    },
  }

  return { entra, graph }
}
