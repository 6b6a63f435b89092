/** The client runtime: what generated endpoint clients are built on, for use in browsers and on Node. */
export {
  TidewireClient,
  type AckOf,
  type ClientEvents,
  type ClientOptions,
  type ClientState,
  type EndpointDescriptor,
  type GenericAck,
  type MessageValidator,
  type QueryValues,
  type WebSocketConstructor,
} from './runtime.js';
export {
  closeAllowsReconnect,
  jitterFactor,
  reconnectDelayMs,
  type BackoffOptions,
  type DelayInput,
} from './backoff.js';
export {
  ConnectionClosedError,
  MessageTimeoutError,
  MessageValidationError,
  RequestError,
  RequestTimeoutError,
} from './errors.js';
export {
  SUBSCRIPTION_RULES,
  SubscriptionBook,
  clientMessageType,
  type SubscriptionMessage,
  type SubscriptionRule,
} from './subscriptions.js';
export { Emitter, type Listener } from './emitter.js';
