export {
  type ConnectExchangeOptions,
  connectExchange,
  type ExchangeConnection,
  type ExchangeConnectionPort,
} from './connect'
export { type ConnectExchangePoolOptions, connectExchangePool, type ExchangePoolPort } from './pool'
export { type ThrottlingRetryOptions, withThrottlingRetry } from './retry'
