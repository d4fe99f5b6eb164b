// Writes packages/fakes/cmdlet-parameters.json: what the fakes need of the cmdlet reference to bind
// parameters as PowerShell does, and no more. From packages/fakes/cmdlet-reference.json (the cmdlets
// the fakes implement, each with its parameter sets read from Microsoft's documentation, with where
// each came from and notes on it) it keeps, per cmdlet, the on-premises parameter sets: their names
// and parameters (name, type, mandatory). The fakes read the result at their first cmdlet call.
//
// Run: node tools/cmdlet-parameters/generate.mjs           (after changing the reference)
//      node tools/cmdlet-parameters/generate.mjs --check   (exit 1 when the file is not current)
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const reference = fileURLToPath(new URL('../../packages/fakes/cmdlet-reference.json', import.meta.url))
const target = fileURLToPath(new URL('../../packages/fakes/cmdlet-parameters.json', import.meta.url))

/**
 * Parameter sets the reference lists that exist only in Exchange Online: an on-premises
 * organisation does not have them, so their parameters are unknown to the fakes.
 */
const cloudOnlySets = {
  'New-MailUser': [
    'EnableRoomMailboxAccount',
    'FederatedUser',
    'HVEAccount',
    'MicrosoftOnlineServicesFederatedUser',
    'MicrosoftOnlineServicesID',
  ],
  'Get-MailUser': ['HVEAccount'],
  'Set-MailUser': [
    'EnableLitigationHoldForMigration',
    'ExcludeFromAllHolds',
    'ExcludeFromAllOrgHolds',
    'ExcludeFromOrgHolds',
    'RecalculateInactiveMailUser',
    'RemoveComplianceTagHoldApplied',
    'RemoveDelayHoldApplied',
    'RemoveDelayReleaseHoldApplied',
    'RemoveDisabledArchive',
    'RemoveLitigationHoldEnabled',
    'RemoveOrphanedHolds',
    'UnblockForwardSyncPostCrossTenantMigration',
  ],
  'New-ManagementRoleAssignment': ['App'],
  'Set-ManagementRoleAssignment': ['App', 'RecipientGroupScope'],
  'Get-Mailbox': ['MailboxPlanSet'],
}

/** The text of cmdlet-parameters.json for a reference. */
export function cmdletParameters(referenceText) {
  const { source, cmdlets } = JSON.parse(referenceText)
  for (const [cmdlet, sets] of Object.entries(cloudOnlySets)) {
    const listed = cmdlets[cmdlet]?.sets.map((set) => set.name) ?? []
    const unknown = sets.filter((name) => !listed.includes(name))
    // a cloud-only set the reference no longer has is a sign the reference changed under this list
    if (unknown.length > 0) throw new Error(`${cmdlet} has no parameter set ${unknown.join(', ')}`)
  }
  const trimmed = Object.fromEntries(
    Object.entries(cmdlets).map(([cmdlet, { sets }]) => [
      cmdlet,
      {
        sets: sets
          .filter((set) => !(cloudOnlySets[cmdlet] ?? []).includes(set.name))
          .map(({ name, parameters }) => ({
            name,
            parameters: parameters.map(({ name, type, mandatory }) => ({ name, type, mandatory })),
          })),
      },
    ]),
  )
  const about =
    'Generated from cmdlet-reference.json by tools/cmdlet-parameters/generate.mjs: the on-premises parameter sets of each cmdlet the fakes implement. Do not edit.'
  return `${JSON.stringify({ about, source, cmdlets: trimmed }, null, 2)}\n`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = cmdletParameters(readFileSync(reference, 'utf8'))
  if (process.argv.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(target, 'utf8')
    } catch {}
    if (current !== text) {
      console.error(
        'packages/fakes/cmdlet-parameters.json is not current: run node tools/cmdlet-parameters/generate.mjs',
      )
      process.exit(1)
    }
  } else writeFileSync(target, text)
}
