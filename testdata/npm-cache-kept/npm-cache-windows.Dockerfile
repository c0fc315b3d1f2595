# The base is a global ARG's default naming a Windows image: the shell is not POSIX (skip).
ARG node=node:12.18.3-windowsservercore
FROM $node
RUN npm install --global windows-build-tools
