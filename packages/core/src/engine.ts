/** The engine: plan observes and decides, apply carries the plan out and journals it, verify reports. */
export * from './apply'
export * from './plan'
export * from './verify'
