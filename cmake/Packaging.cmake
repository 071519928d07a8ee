# The Debian package: `cpack -G DEB` in the build directory (scripts/package.sh) makes
# warren_<version>_amd64.deb with everything `cmake --install` puts in (the binary, the in-tree
# plugins in /usr/lib/warren/plugins, the host modules in /usr/lib/warren/modules, the SDK's
# headers and CMake package, the docs) plus the system integration below: the systemd unit,
# /etc/warren/warren.ini (a conffile) and the maintainer scripts that create the warren user.
#
# The system files are the install component "system", EXCLUDE_FROM_ALL: a plain
# `cmake --install build --prefix DIR` never writes to /etc; only the package carries them.
set(WARREN_PACKAGE_PREFIX "/usr")
set(WARREN_PACKAGING_DIR "${PROJECT_SOURCE_DIR}/packaging")

install(FILES README.md docs/deploy.md docs/sizing.md docs/rolling-updates.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Fills a plugin directory by rename (the Kubernetes plugin sidecar, deploy/kubernetes).
install(PROGRAMS ${WARREN_PACKAGING_DIR}/bin/plugin-sync DESTINATION lib/warren)

set(WARREN_BIN "${WARREN_PACKAGE_PREFIX}/${CMAKE_INSTALL_BINDIR}/warren")
set(WARREN_DOC_DIR "${WARREN_PACKAGE_PREFIX}/${CMAKE_INSTALL_DOCDIR}")
configure_file(${WARREN_PACKAGING_DIR}/systemd/warren.service.in
               ${PROJECT_BINARY_DIR}/packaging/warren.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/packaging/warren.service
        DESTINATION lib/systemd/system COMPONENT system EXCLUDE_FROM_ALL)
install(FILES ${WARREN_PACKAGING_DIR}/etc/warren.ini
        DESTINATION /etc/warren COMPONENT system EXCLUDE_FROM_ALL)

set(CPACK_PACKAGE_NAME "warren")
set(CPACK_PACKAGE_VENDOR "Warren")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "native worker host for BullMQ queues, with plugins")
set(CPACK_PACKAGE_CONTACT "Warren developers <warren@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX "${WARREN_PACKAGE_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_OUTPUT_FILE_PREFIX "${PROJECT_BINARY_DIR}/packages")
# One package holding every component (the default one and "system").
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL Unspecified system)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # warren_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_NAME "warren")
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
# The synopsis is CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Warren takes jobs off the Redis queues a Node.js application fills with
BullMQ's Queue.add, as BullMQ's own Worker would, and runs each job in a
plugin: a shared library written against a small C ABI. The package holds
the warren command, the in-tree plugins, the plugin SDK (headers and
find_package(WarrenSDK)), a hardened systemd unit (Type=notify, watchdog)
and /etc/warren/warren.ini.")
# Library dependencies from the ELF files (dpkg-shlibdeps), plus what the scripts use.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# The embedded default (no REDIS_URL) starts redis-server; the demo's video part makes its clip
# with the ffmpeg command.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "redis-server (>= 5:6.2)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "ffmpeg, postgresql-client, prometheus")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${WARREN_PACKAGING_DIR}/debian/conffiles ${WARREN_PACKAGING_DIR}/debian/postinst
    ${WARREN_PACKAGING_DIR}/debian/prerm ${WARREN_PACKAGING_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
