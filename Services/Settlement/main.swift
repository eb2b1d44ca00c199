// settlement: the ledger, statements, reconciliation and invoices.

import Shared

await ServiceRunner.main(SettlementService.definition)
