# Glue around Debian's packages: every dependency comes from the system, nothing is vendored.
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)

if(POLARLAB_GUI)
  find_package(PkgConfig REQUIRED)
  find_package(OpenGL REQUIRED)
  find_package(glfw3 3.3 REQUIRED)
  # Debian's libimgui-dev ships a static libimgui.a with the GLFW + OpenGL3 backends inside; it needs stb.
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  add_library(polarlab::imgui INTERFACE IMPORTED)
  target_link_libraries(polarlab::imgui INTERFACE PkgConfig::IMGUI glfw OpenGL::GL ${CMAKE_DL_LIBS})
  target_include_directories(polarlab::imgui INTERFACE /usr/include/imgui/backends)
endif()

if(POLARLAB_TORCH)
  find_package(Torch QUIET)
  if(NOT Torch_FOUND)
    message(STATUS "libtorch not found: the transformer lab is disabled (apt install libtorch-dev)")
    set(POLARLAB_TORCH OFF)
  endif()
endif()

find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(CAIRO IMPORTED_TARGET cairo)
  # Animations (core/animate): Debian's FFmpeg libraries, linked (libavcodec-dev libavformat-dev libswscale-dev
  # libavutil-dev); x264 and libvpx come inside libavcodec.
  pkg_check_modules(FFMPEG IMPORTED_TARGET libavcodec libavformat libswscale libavutil)
endif()

# Sweeps (core/sweep): grid specs in YAML, results in SQLite. Skipped when either is missing.
find_package(yaml-cpp QUIET)
find_package(SQLite3 QUIET)
