import { cloudSupportNote, graphTarget } from './graph-cloud'
import type { ValidInput } from './input'

/** What plan and verify must say about a run as a whole: what they do not check, and where Microsoft says no. */
export function runbookNotes(input: ValidInput): string[] {
  const notes = [
    "hybrid OAuth between Exchange and Exchange Online (step 1 of Microsoft's procedure: the evoSTS auth server, the Exchange Online partner application, the IntraOrganizationConnector) is a prerequisite this does not check: run teams-oauth doctor, which checks it and prints Microsoft's functional tests (Test-OAuthConnectivity, the Autodiscover v2 probe)",
  ]
  if (input.profile === 'sfbonline')
    notes.push(
      "Exchange's Health Checker rates this configuration Red: only the legacy Skype for Business Online partner application, which Teams no longer uses for scheduling (https://aka.ms/HC-SfBLegacyPartnerApp); use --profile teams or all",
    )
  if (input.graphUrl && input.entra === 'graph') {
    const note = cloudSupportNote(graphTarget(input.graphUrl).cloud)
    if (note) notes.push(note)
  }
  if (!input.domainController)
    notes.push(
      "no --domain-controller: Microsoft's procedure pins every Exchange command to one domain controller; with several, a later step may not yet see what an earlier one created (a run again finishes it); pin one with --domain-controller <fqdn>",
    )
  return notes
}
