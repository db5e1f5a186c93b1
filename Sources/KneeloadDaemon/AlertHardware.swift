import AlertOutputs
import KneeloadConfiguration
import KneeloadEngine

/// The alert outputs and the acknowledge button as the configuration names them, opened from a line source.
/// Owned by the sampling loop.
public final class AlertHardware {
    public let annunciator: AlertAnnunciator
    public let button: AcknowledgeButton?

    public init(settings: GPIOSettings, source: any GPIOLineSource, at time: Duration) throws(GPIOError) {
        var patternOutputs: [any GPIOOutputLine] = []
        var indicators: [any GPIOOutputLine] = []
        var opened: [any GPIOOutputLine] = []
        do {
            for spec in [settings.buzzer, settings.vibration].compactMap({ $0 }) {
                let line = try source.output(spec, polarity: settings.outputPolarity)
                opened.append(line)
                patternOutputs.append(line)
            }
            if let spec = settings.led {
                let line = try source.output(spec, polarity: settings.outputPolarity)
                opened.append(line)
                indicators.append(line)
            }
            if let spec = settings.buttonLine {
                let line = try source.input(spec, bias: settings.button.bias)
                button = try AcknowledgeButton(line: line, configuration: settings.button, at: time)
            } else {
                button = nil
            }
        } catch {
            // Leave nothing half-requested behind.
            for line in opened { try? line.release() }
            throw error
        }
        annunciator = AlertAnnunciator(
            patternOutputs: patternOutputs, indicatorOutputs: indicators,
            schedule: AnnunciationSchedule(patterns: settings.patterns))
    }

    /// The annunciator's signal for an engine alert.
    public static func signal(for event: AlertEvent) -> AlertSignal {
        AlertSignal(AlertSignal.Kind(rawValue: event.kind.rawValue), event.level == .alert ? .alert : .warning)
    }

    /// Outputs off and every line released (at exit: the lines go back to their idle level).
    public func shutDown() -> GPIOError? {
        var failure: GPIOError?
        do {
            try annunciator.stop()
        } catch {
            failure = error
        }
        button?.release()
        return failure
    }
}
