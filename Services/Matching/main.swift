// matching: the master hotel catalog and supplier mappings.

import Shared

await ServiceRunner.main(MatchingService.definition)
