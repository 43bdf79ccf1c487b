// SwiftPM needs a source file in a C target; everything this target offers is in the header.
#include "CNetlinkDiag.h"
