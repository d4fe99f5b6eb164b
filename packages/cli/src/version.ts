// Kept in step with package.json: test/startup.test.ts checks that `teams-oauth --version` prints it.
export const version = '0.1.0'
