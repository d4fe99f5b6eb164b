export { defaultGraphBaseUrl, graphApiRoot, graphCloud, graphHosts } from './base-url'
export {
  assertKeyValues,
  type GraphEntra,
  type GraphEntraOptions,
  type GraphRequestEvent,
  type GraphRetryOptions,
  graphEntra,
  sameKey,
  tenantIdOfToken,
} from './graph-entra'
export { graphResponseError, servicePrincipalNotFoundError } from './graph-errors'
export { parseRetryAfter } from './retry-after'
