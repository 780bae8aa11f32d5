# Install rules and CPack settings for the silt-agent and silt-aggregator packages (.deb and
# .rpm); packaging/README.md describes the files and docs/install.md the result. scripts/package
# runs cpack in an existing build dir: installing depends only on the packaged binaries, so
# packaging never compiles the tests (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY below).

include(GNUInstallDirs)

set(SILT_PACKAGE_RELEASE 1 CACHE STRING "package release (deb revision, rpm Release)")
set(SILT_PACKAGE_MAINTAINER "Silt maintainers <maintainers@users.noreply.h-seed-506f80b7.example>"
    CACHE STRING "Maintainer / Packager of the deb and rpm packages")
set(SILT_PACKAGE_LICENSE "Apache-2.0" CACHE STRING "license named in the packages")

# `ninja install` and cpack build only what is installed (the binaries), not every test.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)

set(silt_pkg_src ${PROJECT_SOURCE_DIR}/packaging)
set(silt_pkg_out ${PROJECT_BINARY_DIR}/packaging)
set(silt_unit_dir /usr/lib/systemd/system)

# silt_package_component(<component> <package> <other binary>): installs what each package has
# besides its binaries (unit, default config, docs, copyright, changelog) and generates its
# maintainer scripts for both formats from packaging/deb/*.in and packaging/rpm/*.in. <other
# binary> is the other package's program: the deb purge deletes the silt user only without it.
function(silt_package_component component package other_binary)
  set(SILT_PACKAGE ${package})
  set(SILT_STATE_DIR /var/lib/silt/${component})
  set(SILT_OTHER_BINARY ${other_binary})
  set(SILT_DEB_VERSION ${PROJECT_VERSION}-${SILT_PACKAGE_RELEASE})
  set(SILT_MAINTAINER ${SILT_PACKAGE_MAINTAINER})
  set(out ${silt_pkg_out}/${component})
  foreach(script postinst prerm postrm)
    configure_file(${silt_pkg_src}/deb/${script}.in ${out}/deb/${script} @ONLY
                   FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ
                                    GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  file(WRITE ${out}/deb/conffiles "/etc/silt/${component}.yaml\n")
  foreach(script pre post preun postun)
    configure_file(${silt_pkg_src}/rpm/${script}.in ${out}/rpm/${script} @ONLY)
  endforeach()
  # Debian wants the changelog compressed with gzip -9n (no name, no timestamp).
  configure_file(${silt_pkg_src}/changelog.in ${out}/changelog.Debian @ONLY)
  execute_process(COMMAND gzip -9nc ${out}/changelog.Debian
                  OUTPUT_FILE ${out}/changelog.Debian.gz COMMAND_ERROR_IS_FATAL ANY)

  set(doc_dir ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package})
  install(FILES ${silt_pkg_src}/systemd/${package}.service DESTINATION ${silt_unit_dir}
          COMPONENT ${component})
  install(FILES ${silt_pkg_src}/config/${component}.yaml DESTINATION /etc/silt
          COMPONENT ${component})
  install(FILES ${silt_pkg_src}/copyright ${out}/changelog.Debian.gz
                ${PROJECT_SOURCE_DIR}/docs/install.md ${PROJECT_SOURCE_DIR}/docs/tls.md
                ${PROJECT_SOURCE_DIR}/docs/${component}-config.md
          DESTINATION ${doc_dir} COMPONENT ${component})

  string(TOUPPER ${component} c)
  set(CPACK_DEBIAN_${c}_PACKAGE_NAME ${package} PARENT_SCOPE)
  set(CPACK_DEBIAN_${c}_PACKAGE_CONTROL_EXTRA
      "${out}/deb/postinst;${out}/deb/prerm;${out}/deb/postrm;${out}/deb/conffiles" PARENT_SCOPE)
  set(CPACK_RPM_${c}_PACKAGE_NAME ${package} PARENT_SCOPE)
  set(CPACK_RPM_${c}_PRE_INSTALL_SCRIPT_FILE ${out}/rpm/pre PARENT_SCOPE)
  set(CPACK_RPM_${c}_POST_INSTALL_SCRIPT_FILE ${out}/rpm/post PARENT_SCOPE)
  set(CPACK_RPM_${c}_PRE_UNINSTALL_SCRIPT_FILE ${out}/rpm/preun PARENT_SCOPE)
  set(CPACK_RPM_${c}_POST_UNINSTALL_SCRIPT_FILE ${out}/rpm/postun PARENT_SCOPE)
  set(CPACK_RPM_${c}_USER_FILELIST "%config(noreplace) /etc/silt/${component}.yaml" PARENT_SCOPE)
endfunction()

install(TARGETS silt-agent RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT agent)
install(TARGETS silt-aggregator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT aggregator)
# The `silt` query CLI goes into silt-aggregator as soon as its target exists.
if(TARGET silt)
  install(TARGETS silt RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT aggregator)
endif()
silt_package_component(agent silt-agent silt-aggregator)
silt_package_component(aggregator silt-aggregator silt-agent)

set(CPACK_PACKAGE_NAME silt)
set(CPACK_PACKAGE_VENDOR "The Silt authors")
set(CPACK_PACKAGE_CONTACT ${SILT_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB RPM)
set(CPACK_COMPONENTS_ALL agent aggregator)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)
set(CPACK_THREADS 0)

set(silt_agent_summary "Silt log agent: tails log files and ships them over TLS")
set(silt_agent_description
    "silt-agent follows log files through rotation (inotify and rescans), keeps its
read positions in /var/lib/silt/agent, and ships every line exactly once as
compressed batches over TLS (optionally mutual TLS) to silt-aggregator. Runs
as a hardened systemd service under the silt user with group adm.")
set(silt_aggregator_summary "Silt log aggregator: stores, indexes and serves logs")
set(silt_aggregator_description
    "silt-aggregator receives batches from silt-agent over TLS, writes them to a
write-ahead log, stores them in compressed, indexed chunk files under
/var/lib/silt/aggregator and answers LogQL queries. Runs as a hardened systemd
service under the silt user.")
# deb: the first line is the synopsis, the rest the extended description. An empty package
# summary keeps CPack from putting the project's description in front of both.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_COMPONENT_AGENT_DESCRIPTION "${silt_agent_summary}\n${silt_agent_description}")
set(CPACK_COMPONENT_AGGREGATOR_DESCRIPTION
    "${silt_aggregator_summary}\n${silt_aggregator_description}")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${SILT_PACKAGE_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE ${SILT_PACKAGE_RELEASE})
set(CPACK_RPM_PACKAGE_LICENSE ${SILT_PACKAGE_LICENSE})
set(CPACK_RPM_PACKAGE_GROUP "System Environment/Daemons")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_PACKAGE_AUTOPROV OFF)
set(CPACK_RPM_PACKAGE_REQUIRES_PRE "shadow-utils")
set(CPACK_RPM_SPEC_MORE_DEFINE "%define packager ${SILT_PACKAGE_MAINTAINER}")
set(CPACK_RPM_AGENT_PACKAGE_SUMMARY ${silt_agent_summary})
set(CPACK_RPM_AGENT_PACKAGE_DESCRIPTION ${silt_agent_description})
set(CPACK_RPM_AGGREGATOR_PACKAGE_SUMMARY ${silt_aggregator_summary})
set(CPACK_RPM_AGGREGATOR_PACKAGE_DESCRIPTION ${silt_aggregator_description})
# Directories other packages own (filesystem, systemd) stay out of ours.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION /usr/lib/systemd /usr/lib/systemd/system)

include(CPack)
