// bi: events into ClickHouse and the reports on them.

import Shared

await ServiceRunner.main(BIService.definition)
