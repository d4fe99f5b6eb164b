export {
  type ConnectExchangeOptions,
  connectExchange,
  type ExchangeConnection,
  type ExchangeConnectionPort,
} from './connect'
