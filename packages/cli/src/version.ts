// Kept in step with package.json by the build's check (tools/check-versions.mjs).
export const version = '0.1.0'
