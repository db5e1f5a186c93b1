import ArgumentParser

@main
struct KneeloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kneeload",
        abstract: "Tools for the kneeload knee-load monitor: simulate a rig, replay recordings.",
        subcommands: []
    )
}
