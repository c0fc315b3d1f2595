# Skips: ONBUILD; a MAINTAINER continued on the next line (the grammar cannot read it: opaque).
FROM debian:12
ONBUILD MAINTAINER Jane
MAINTAINER Jane \
  Doe
