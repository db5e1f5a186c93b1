import AlertOutputs

/// Where the daemon gets its GPIO lines: the kernel through libgpiod, or a simulated chip.
public protocol GPIOLineSource {
    func output(_ spec: GPIOLineSpec, polarity: LinePolarity) throws(GPIOError) -> any GPIOOutputLine
    func input(_ spec: GPIOLineSpec, bias: GPIOBias) throws(GPIOError) -> any GPIOInputLine
}

extension LinuxGPIO: GPIOLineSource {
    public func output(_ spec: GPIOLineSpec, polarity: LinePolarity) throws(GPIOError) -> any GPIOOutputLine {
        try openOutput(spec, polarity: polarity)
    }

    public func input(_ spec: GPIOLineSpec, bias: GPIOBias) throws(GPIOError) -> any GPIOInputLine {
        try openInput(spec, bias: bias)
    }
}

extension SimulatedGPIOChip: GPIOLineSource {
    public func output(_ spec: GPIOLineSpec, polarity: LinePolarity) throws(GPIOError) -> any GPIOOutputLine {
        try openOutput(spec, polarity: polarity, consumer: "kneeloadd")
    }

    public func input(_ spec: GPIOLineSpec, bias: GPIOBias) throws(GPIOError) -> any GPIOInputLine {
        try openInput(spec, bias: bias, consumer: "kneeloadd")
    }
}
