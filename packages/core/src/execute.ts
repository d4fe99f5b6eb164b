import { type Action, exchangeWriteCmdlets } from './actions'
import { executeEntraAction } from './entra-actions'
import { TeamsOAuthError } from './errors'
import type { Targets } from './ports'

/** Runs one action: an Exchange write (only teams-oauth's own cmdlets) or an Entra intent. */
export async function execute(
  targets: Targets,
  action: Action,
  beforeWrite?: (before: unknown) => Promise<void>,
): Promise<{ result: unknown; before?: unknown; changed: boolean }> {
  if (action.system === 'exchange') {
    if (!exchangeWriteCmdlets.has(action.cmdlet))
      throw new TeamsOAuthError(
        'PLAN_BLOCKED',
        `teams-oauth does not run ${action.cmdlet} to change Exchange`,
        {
          cmdlet: action.cmdlet,
        },
      )
    const { system: _, ...call } = action
    return { result: await targets.exchange.invoke(call), changed: true }
  }
  const { before, changed, result } = await executeEntraAction(targets.entra, action, beforeWrite)
  return { result, before, changed }
}
