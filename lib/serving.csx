// The model server of ./course serve (lib/Serving), for chapter 16, after the course library:
//     #load "../lib/course.csx"
//     #load "../lib/serving.csx"
// A chapter starts the server as a process of its own, as it is deployed, so this defines only where its program is:
// ServingProgram, the path of the build's Course.Serving executable (building lib/Serving, i.e. ./course setup, writes it).
#load "../artifacts/dotnet/serving.program.csx"
