export { defaultGraphBaseUrl, graphApiRoot, graphCloud, graphHosts } from './base-url'
export {
  type GraphEntra,
  type GraphEntraOptions,
  type GraphRequestEvent,
  type GraphRetryOptions,
  graphEntra,
  tenantIdOfToken,
} from './graph-entra'
export {
  graphRedirectError,
  graphResponseError,
  keyFormRefusal,
  servicePrincipalNotFoundError,
} from './graph-errors'
export { parseRetryAfter } from './retry-after'
